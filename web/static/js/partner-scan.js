// Camera scanning where the browser can read QR codes itself (BarcodeDetector: Chrome on Android,
// ChromeOS, macOS). Elsewhere the button stays hidden and people type, paste or use a scanner.
const FORMATS = ["qr_code", "code_128"];

export async function setUpScanning(video, button, onCode) {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices?.getUserMedia) return;
  const supported = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
  const formats = FORMATS.filter((format) => supported.includes(format));
  if (!formats.length) return;
  const detector = new window.BarcodeDetector({ formats });
  let stream = null;

  function stop() {
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    button.textContent = "Scan with the camera";
  }

  async function look() {
    if (!stream) return;
    try {
      const [found] = await detector.detect(video);
      if (found?.rawValue) {
        stop();
        onCode(found.rawValue);
        return;
      }
    } catch {
      // a frame that could not be read; try the next one
    }
    requestAnimationFrame(look);
  }

  button.hidden = false;
  button.addEventListener("click", async () => {
    if (stream) return stop();
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    } catch (error) {
      onCode(null, `The camera is not available: ${error.message}`);
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    button.textContent = "Stop scanning";
    await video.play();
    look();
  });
}
