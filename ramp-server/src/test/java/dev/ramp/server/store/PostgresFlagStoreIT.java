package dev.ramp.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresFlagStoreIT extends FlagStoreContract {
    private String url;

    @Override
    FlagStore open() {
        url = EmbeddedPostgres.newDatabase();
        return PostgresFlagStore.open(url, "", "");
    }

    @Override
    FlagStore reopen() {
        return PostgresFlagStore.open(url, "", "");
    }

    @Test
    void open_unreachableServer_failsAsUnavailableWithoutThePassword() {
        assertThatThrownBy(() -> PostgresFlagStore.open("jdbc:postgresql://127.0.0.1:1/ramp?password=hunter2&connectTimeout=1", "", ""))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.unavailable()).isTrue();
                    assertThat(e.getMessage()).doesNotContain("hunter2").contains("password=***");
                });
    }
}
