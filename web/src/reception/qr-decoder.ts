// Reading a QR code from camera frames. The browser's own BarcodeDetector is used where it
// exists (Chrome on Android and ChromeOS, Safari, some Edge builds); elsewhere, desktop
// Chromium and Firefox on the reception PCs included, frames are decoded in JavaScript
// (jsQR, loaded only when the camera is opened so the reception page stays small).
//
// CCCD QR codes carry UTF-8 text in byte mode (Vietnamese names and addresses); the raw
// bytes are decoded here as UTF-8 rather than trusting a decoder's guess of the charset.

export interface FrameDecoder {
  /** The QR text in the frame, or undefined when none could be read. */
  decode(frame: HTMLVideoElement): Promise<string | undefined>;
  readonly kind: 'native' | 'javascript';
}

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (options?: { formats?: string[] }) => BarcodeDetectorLike;

function nativeCtor(): BarcodeDetectorCtor | undefined {
  const ctor = (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  return typeof ctor === 'function' ? ctor : undefined;
}

/** True when this browser can give the page a camera at all (a secure context is needed). */
export function cameraAvailable(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

/** Frames wider than this are scaled down before decoding: a card QR fills a good part of
 * the frame, and decoding time grows with the pixel count. */
export const MAX_DECODE_WIDTH = 960;

/** The scaled size a frame is decoded at, keeping its aspect ratio. */
export function decodeSize(width: number, height: number, maxWidth = MAX_DECODE_WIDTH): { width: number; height: number } {
  if (width <= 0 || height <= 0) return { width: 0, height: 0 };
  if (width <= maxWidth) return { width, height };
  return { width: maxWidth, height: Math.max(1, Math.round((height * maxWidth) / width)) };
}

/** UTF-8 text from a QR's byte payload; invalid sequences become U+FFFD rather than throwing. */
export function qrBytesToText(bytes: ArrayLike<number>): string {
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes as ArrayLike<number>));
}

type JsQr = typeof import('jsqr').default;

/** The QR text in an RGBA picture, decoded in JavaScript; undefined when none is found. */
export function decodeRgba(jsQR: JsQr, data: Uint8ClampedArray, width: number, height: number): string | undefined {
  const code = jsQR(data, width, height, { inversionAttempts: 'attemptBoth' });
  if (!code || code.binaryData.length === 0) return undefined;
  return qrBytesToText(code.binaryData);
}

export async function createFrameDecoder(): Promise<FrameDecoder> {
  const Native = nativeCtor();
  if (Native) {
    try {
      const detector = new Native({ formats: ['qr_code'] });
      return {
        kind: 'native',
        async decode(frame) {
          const codes = await detector.detect(frame);
          return codes.find((c) => c.rawValue)?.rawValue;
        },
      };
    } catch {
      // constructor present but QR unsupported on this system: fall through to jsQR
    }
  }
  const { default: jsQR } = await import('jsqr');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D canvas');
  return {
    kind: 'javascript',
    async decode(frame) {
      const size = decodeSize(frame.videoWidth, frame.videoHeight);
      if (size.width === 0) return undefined;
      if (canvas.width !== size.width || canvas.height !== size.height) {
        canvas.width = size.width;
        canvas.height = size.height;
      }
      ctx.drawImage(frame, 0, 0, size.width, size.height);
      const image = ctx.getImageData(0, 0, size.width, size.height);
      return decodeRgba(jsQR, image.data, image.width, image.height);
    },
  };
}
