// DOM helpers shared by map.js and network.js: a page loads this file before either.
// Names and labels come from the data, so they are set as text (textContent) or attribute
// values, never as markup.
"use strict";

window.crimewireDom = Object.freeze({
  // An SVG element with attributes, appended to parent when one is given.
  el(name, attrs = {}, parent = null) {
    const node = document.createElementNS("http://www.w3.org/2000/svg", name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  },
  // An HTML element with text (none when null or undefined) and attributes, appended to parent.
  html(tag, text, parent, attrs = {}) {
    const node = document.createElement(tag);
    if (text !== null && text !== undefined) node.textContent = String(text);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    if (parent) parent.appendChild(node);
    return node;
  },
});
