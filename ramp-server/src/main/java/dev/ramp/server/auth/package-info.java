/**
 * API tokens: {@link dev.ramp.server.auth.TokenRegistry} keeps the tokens' SHA-256 hashes in memory and answers
 * "who is this?" for a presented secret in constant time per comparison; {@link dev.ramp.server.auth.Principal} is
 * the answer. Secrets are random, shown once at creation and never stored.
 */
package dev.ramp.server.auth;
