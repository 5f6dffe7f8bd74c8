// Sharing files in a room: drop them on the room or pick them, watch each upload's progress.
// The upload is plain HTTP; the room then hears `file:shared` and the chat shows the preview.

import { upload } from "../api.js";
import { el as h } from "../ui.js";
import { humanSize, newId } from "./dom.js";

export class FileDrop {
  // dropTarget: the element files can be dropped on; container: where the picker and progress go.
  constructor(dropTarget, container, { room, onError }) {
    this.room = room;
    this.onError = onError;
    const pickerId = `file-picker-${newId().slice(0, 8)}`;
    this.picker = h("input", { type: "file", id: pickerId, multiple: true, class: "visually-hidden",
      onchange: () => this.take(this.picker.files) });
    this.uploads = h("ul", { class: "uploads", "aria-label": "Uploads in progress" });
    container.append(
      h("div", { class: "file-picker" }, this.picker,
        h("label", { for: pickerId, class: "button" }, "Share a file"),
        h("span", { class: "hint" }, " or drop files here (images, PDFs, documents; up to 25 MB)")),
      this.uploads);
    this.watch(dropTarget);
  }

  watch(target) {
    let depth = 0; // dragenter/dragleave fire for every child crossed
    const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes("Files");
    target.addEventListener("dragenter", (e) => {
      if (!hasFiles(e)) return;
      depth += 1;
      target.classList.add("dropping");
    });
    target.addEventListener("dragleave", () => {
      depth = Math.max(0, depth - 1);
      if (!depth) target.classList.remove("dropping");
    });
    target.addEventListener("dragover", (e) => {
      if (hasFiles(e)) e.preventDefault();
    });
    target.addEventListener("drop", (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      target.classList.remove("dropping");
      this.take(e.dataTransfer.files);
    });
  }

  take(files) {
    for (const file of [...files]) this.send(file);
    this.picker.value = "";
  }

  async send(file) {
    const bar = h("progress", { max: "100", value: "0", "aria-label": `Uploading ${file.name}` });
    const status = h("span", { class: "upload-status" }, "0%");
    const row = h("li", { class: "upload" }, h("span", { class: "file-name" }, file.name),
      h("span", { class: "file-size" }, humanSize(file.size)), bar, status);
    this.uploads.append(row);
    try {
      await upload(`/api/v1/rooms/${encodeURIComponent(this.room)}/files`, file, (fraction) => {
        const percent = Math.round(Math.min(1, fraction) * 100);
        bar.value = percent;
        status.textContent = `${percent}%`;
      });
      row.remove(); // the chat shows the file once the room hears it
    } catch (error) {
      row.classList.add("failed");
      status.textContent = `not shared: ${error.message}`;
      this.onError?.(`${file.name} was not shared: ${error.message}`);
      row.append(h("button", { type: "button", class: "link", onclick: () => row.remove() }, "Dismiss"));
    }
  }
}
