"""Carla drops a whole folder of scanned notes on the group's chat: the hub shares what her upload quota allows
and her page says, in words, why the rest waits and for how long."""

from __future__ import annotations

from playwright.async_api import expect

from domains.kernel.runtime import Hub
from tests.support.browser import Screenshot, SignedInPage
from tests.support.builders import a_tour_group
from tests.support.server import RunningHub

DROP_FILES = """(target, files) => {
  const transfer = new DataTransfer();
  for (const [name, text] of files) transfer.items.add(new File([text], name));
  for (const type of ["dragenter", "dragover", "drop"]) {
    target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }
}"""


async def test_a_folder_dropped_at_once_is_shared_up_to_the_quota_and_the_page_says_why(
    hub: Hub, server: RunningHub, signed_in_page: SignedInPage, screenshot: Screenshot
) -> None:
    tour = await a_tour_group(hub)
    files_per_person = server.settings.upload_quota_user_files  # the default quota: 40 files an hour
    carla = await signed_in_page(tour.coordinator)
    await carla.goto(f"/groups/{tour.group.id}")
    await expect(carla.locator("#conn-status")).to_have_text("connected")

    notes = [[f"scan-{n:02d}.txt", f"Rooming note {n}"] for n in range(1, files_per_person + 2)]
    await carla.locator("#chat-panel").evaluate(DROP_FILES, notes)

    refused = carla.locator("#file-share .upload.failed")
    await expect(refused).to_have_count(1)
    await expect(refused).to_contain_text("you have shared as many files as allowed for now")
    await expect(refused).to_contain_text(f"{files_per_person} files or 100 MB per hour")
    await expect(refused).to_contain_text("try again in 60 minutes")
    await expect(carla.locator("#chat a.file-preview.other")).to_have_count(files_per_person)
    await expect(carla.locator("#file-share .upload:not(.failed)")).to_have_count(0)
    await screenshot(carla, "quota")
