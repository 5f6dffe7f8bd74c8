// How a shared file shows in the chat: images inline, PDFs as a card, anything else as a download link.
// Files come from our own origin, which the CSP allows for images. The hub serves only vetted images
// inline; a PDF (which may carry scripts of its own) and everything else come as attachments, so the
// cards download them.

import { el as h } from "../ui.js";
import { humanSize } from "./dom.js";

const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

export function filePreview(file) {
  const size = humanSize(file.size);
  if (IMAGE_TYPES.has(file.content_type)) {
    return h("figure", { class: "file-preview image" },
      h("a", { href: file.url, target: "_blank", rel: "noopener" },
        h("img", { src: file.url, alt: file.name, loading: "lazy", decoding: "async" })),
      h("figcaption", {}, h("span", { class: "file-name" }, file.name), ` · ${size}`));
  }
  if (file.content_type === "application/pdf") {
    return h("a", { class: "file-preview pdf", href: file.url, download: file.name },
      h("span", { class: "file-icon", "aria-hidden": "true" }, "PDF"),
      h("span", { class: "file-meta" }, h("span", { class: "file-name" }, file.name),
        h("span", { class: "file-size" }, `${size} · download the PDF`)));
  }
  return h("a", { class: "file-preview other", href: file.url, download: file.name },
    h("span", { class: "file-icon", "aria-hidden": "true" }, "FILE"),
    h("span", { class: "file-meta" }, h("span", { class: "file-name" }, file.name),
      h("span", { class: "file-size" }, `${size} · download`)));
}
