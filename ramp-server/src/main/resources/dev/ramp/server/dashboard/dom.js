// Builds elements without innerHTML, so text from the API is never read as markup; and the page's two
// live regions: a polite status line and an assertive error box.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

/** Replaces the page's content. */
export function show(...children) {
  const main = document.getElementById('main');
  main.replaceChildren();
  append(main, children);
}

export function status(message) {
  document.getElementById('status').textContent = message;
}

/** Shows an error (an ApiError shows the server's detail); null clears it. */
export function error(problem) {
  const box = document.getElementById('error');
  box.textContent = problem ? String(problem.message || problem) : '';
  box.hidden = !problem;
}

/** Runs an action of a button: clears the last error, shows what failed, and keeps the button from being pressed twice. */
export async function act(button, action) {
  error(null);
  button.disabled = true;
  try {
    await action();
  } catch (e) {
    error(e);
  } finally {
    button.disabled = false;
  }
}

/** Sets an element's text only when it changes, so that a live region announces changes and not every poll. */
export function text(element, value) {
  if (element.textContent !== value) {
    element.textContent = value;
  }
}

/** Moves focus to the element the selector finds in the page just drawn, the one that replaced the focused one. */
export function refocus(selector) {
  document.querySelector(selector)?.focus();
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

export function percent(value, digits = 1) {
  return value === null || value === undefined || Number.isNaN(value) ? '–' : `${(value * 100).toFixed(digits)}%`;
}
