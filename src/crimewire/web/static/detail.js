// Scroll each source's article text so that its highlighted evidence sentence is in view.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const box of document.querySelectorAll(".article-text.scroll")) {
    const mark = box.querySelector("mark.hl-evidence");
    if (mark) {
      box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 40);
    }
  }
});
