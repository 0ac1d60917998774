// End to end: the reception PC's camera reads a CCCD QR. Chromium is given a fake camera
// that plays a Y4M video of the card's QR (Chromium's --use-file-for-fake-video-capture), so
// the whole path runs as on a desk: getUserMedia, the video element, frame decoding (jsQR
// on desktop Chromium, which has no BarcodeDetector), $identify, and the patient banner.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fold, newPage, patientsWithCccd, repoRoot, signIn, startHarness, type Harness } from './harness';

const requireFromWeb = createRequire(join(repoRoot, 'web', 'package.json'));
const QRCode = requireFromWeb('qrcode') as typeof import('qrcode');

// A fictitious person (../shared/reference/README.md §2) who is not in the demo province.
const CCCD = '011306007890';
const QR = `${CCCD}||MÙA THỊ DUNG|14021998|Nữ|Xã Mường Phăng, Thành phố Điện Biên Phủ, Điện Biên|05092022`;

/** A 640x480 Y4M clip (4:2:0) of the QR on a white card, 5 frames; Chromium loops it. */
function qrVideo(text: string): Buffer {
  const width = 640;
  const height = 480;
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const scale = Math.floor(Math.min(width, height) / (n + 8));
  const side = (n + 8) * scale;
  const x0 = Math.floor((width - side) / 2);
  const y0 = Math.floor((height - side) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const r = Math.floor(y / scale) - 4;
      const c = Math.floor(x / scale) - 4;
      if (r >= 0 && c >= 0 && r < n && c < n && qr.modules.get(r, c)) luma[(y0 + y) * width + x0 + x] = 16;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...Array(5).fill(frame)]);
}

let h: Harness;
let videoDir: string;

describe('reception: camera scan', { timeout: 240_000 }, () => {
  before(async () => {
    videoDir = mkdtempSync(join(tmpdir(), 'hb-e2e-camera-'));
    const video = join(videoDir, 'cccd.y4m');
    writeFileSync(video, qrVideo(QR));
    h = await startHarness(50, {
      chromiumArgs: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
  });
  after(async () => {
    await h?.stop();
    if (videoDir) rmSync(videoDir, { recursive: true, force: true });
  });

  it('registers the patient whose card the camera sees', async () => {
    assert.equal((await patientsWithCccd(h, CCCD)).length, 0, 'the card is not in the demo province');
    const { context, page } = await newPage(h);
    await context.grantPermissions(['camera']);
    try {
      await signIn(page);
      const hasNative = await page.evaluate(() => 'BarcodeDetector' in globalThis);
      await page.getByTestId('camera-button').click();
      await page.getByTestId('identify-status').waitFor({ timeout: 30_000 }).catch(async () => {
        const why = await page.locator('dialog.camera .error').textContent().catch(() => '');
        throw new Error(`the camera scan found no patient (native detector: ${hasNative}) ${why ?? ''}`);
      });
      assert.match((await page.getByTestId('identify-status').textContent()) ?? '', /Người bệnh mới/);
      assert.equal(await page.getByTestId('banner-cccd').textContent(), CCCD);
      assert.equal(fold((await page.getByTestId('patient-banner').locator('h2').textContent()) ?? ''), 'mua thi dung');
      assert.equal(await page.locator('dialog.camera').count(), 0, 'the camera dialog closed after the read');
      const stored = await patientsWithCccd(h, CCCD);
      assert.equal(stored.length, 1, 'one patient registered from the camera read');
      assert.equal(stored[0].birthDate, '1998-02-14');
      assert.equal(stored[0].gender, 'female');
    } finally {
      await context.close();
    }
  });
});
