import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jsQR from 'jsqr';
import QRCode from 'qrcode';
import { decodeRgba, decodeSize, qrBytesToText } from './qr-decoder';

/** An RGBA picture of `text` as a QR code: `scale` pixels a module, a 4-module quiet zone,
 * placed at (x, y) on a `width` x `height` grey background. */
function render(text: string, width: number, height: number, scale: number, x = 10, y = 10): Uint8ClampedArray {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const pixels = new Uint8ClampedArray(width * height * 4).fill(200);
  const side = (n + 8) * scale;
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const r = Math.floor(py / scale) - 4;
      const c = Math.floor(px / scale) - 4;
      const dark = r >= 0 && c >= 0 && r < n && c < n && qr.modules.get(r, c);
      const i = ((y + py) * width + (x + px)) * 4;
      pixels[i] = pixels[i + 1] = pixels[i + 2] = dark ? 0 : 255;
      pixels[i + 3] = 255;
    }
  }
  return pixels;
}

describe('camera QR decoding in JavaScript', () => {
  it('reads a CCCD QR with Vietnamese text as UTF-8', () => {
    const text = '011305001234||QUÀNG THỊ B|02072005|Nữ|Xã Thanh Xương, Huyện Điện Biên, Điện Biên|10082021';
    const picture = render(text, 480, 480, 5);
    assert.equal(decodeRgba(jsQR, picture, 480, 480), text);
  });

  it('reads a QR away from the corner of a wide frame', () => {
    const text = '056092008888|030921000111|ĐINH VĂN Ú|01011992|Nam|Bản Phủ, Điện Biên Phủ|01032022';
    assert.equal(decodeRgba(jsQR, render(text, 640, 480, 4, 200, 80), 640, 480), text);
  });

  it('finds nothing in a picture without a QR', () => {
    assert.equal(decodeRgba(jsQR, new Uint8ClampedArray(320 * 240 * 4).fill(128), 320, 240), undefined);
  });

  it('decodes bytes as UTF-8 and replaces invalid sequences', () => {
    assert.equal(qrBytesToText([0x4e, 0xe1, 0xbb, 0xaf]), 'Nữ');
    assert.equal(qrBytesToText([0x41, 0xff, 0x42]), 'A\uFFFDB');
  });

  it('scales wide frames down, keeping the aspect ratio', () => {
    assert.deepEqual(decodeSize(1920, 1080), { width: 960, height: 540 });
    assert.deepEqual(decodeSize(640, 480), { width: 640, height: 480 });
    assert.deepEqual(decodeSize(0, 480), { width: 0, height: 0 });
  });
});
