// Builds DOM nodes. Strings always become text nodes and attribute values, never markup: nothing in the console
// parses a string as HTML, so a title like <img src=x onerror=alert(1)> shows as those characters.

/**
 * h('a', {href: '#/', class: 'x', onclick: fn}, 'text', otherNode, [more, nodes])
 * Attributes starting with "on" become listeners; true/false toggle boolean attributes; null/undefined are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'value' && 'value' in element) {
      element.value = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(parent, child);
    } else if (child instanceof Node) {
      parent.appendChild(child);
    } else {
      parent.appendChild(document.createTextNode(String(child)));
    }
  }
}

/** Replaces every child of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
  return parent;
}

/** Tells screen-reader users about something that changed without moving their focus. */
export function announce(message) {
  const announcer = document.getElementById('announcer');
  announcer.textContent = '';
  // a new text node after clearing makes assistive technology read the same message again
  requestAnimationFrame(() => { announcer.textContent = message; });
}

let nextId = 0;

/** A labelled form field: <label for> + control, with an optional hint tied by aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || `field-${++nextId}`;
  control.id = id;
  const children = [h('label', { for: id }, label), control];
  if (hint) {
    const hintId = `${id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    children.push(h('p', { id: hintId, class: 'hint' }, hint));
  }
  return h('div', { class: 'field' }, children);
}

/** An alert box for a refusal or failure, announced when it appears. */
export function errorBox(message, code) {
  return h('div', { class: 'error', role: 'alert' },
    code ? h('strong', {}, `${code}: `) : null, message);
}
