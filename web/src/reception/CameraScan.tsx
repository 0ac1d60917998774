// Scanning the card's QR with a camera, where the browser has the BarcodeDetector API
// (Chrome on Android and ChromeOS, Safari, Edge on some systems). Elsewhere the button
// is not shown and the keyboard-wedge scanner is the way in.
import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorCtor = new (options?: { formats?: string[] }) => BarcodeDetectorLike;

function detectorCtor(): BarcodeDetectorCtor | undefined {
  const ctor = (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  return typeof ctor === 'function' && !!navigator.mediaDevices?.getUserMedia ? ctor : undefined;
}

export function CameraScan({ onResult }: { onResult: (text: string) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  if (!detectorCtor()) return null;
  return (
    <>
      <button type="button" className="secondary" onClick={() => setOpen(true)} data-testid="camera-button">
        {t('camera.open')}
      </button>
      {open && (
        <CameraDialog
          onClose={() => setOpen(false)}
          onResult={(text) => {
            setOpen(false);
            onResult(text);
          }}
        />
      )}
    </>
  );
}

function CameraDialog({ onClose, onResult }: { onClose: () => void; onResult: (text: string) => void }) {
  const t = useT();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const videoRef = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState('');
  const onResultRef = useRef(onResult);
  onResultRef.current = onResult;

  useEffect(() => {
    dialogRef.current?.showModal();
    const Ctor = detectorCtor();
    if (!Ctor) return;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Ctor({ formats: ['qr_code'] });
    const tick = async () => {
      if (stopped) return;
      const video = videoRef.current;
      if (video && video.readyState >= 2) {
        try {
          const codes = await detector.detect(video);
          const text = codes.find((c) => c.rawValue)?.rawValue;
          if (text && !stopped) {
            stopped = true;
            onResultRef.current(text);
            return;
          }
        } catch {
          // a frame the detector could not read: try the next one
        }
      }
      timer = setTimeout(() => void tick(), 200);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((s) => {
        stream = s;
        if (stopped) return;
        const video = videoRef.current;
        if (video) {
          video.srcObject = s;
          void video.play();
        }
        void tick();
      })
      .catch(() => setError(t('camera.denied')));
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((track) => track.stop());
    };
  }, [t]);

  return (
    <dialog ref={dialogRef} className="dialog camera" aria-labelledby="camera-title" onClose={onClose} onCancel={onClose}>
      <h2 id="camera-title">{t('camera.title')}</h2>
      <video ref={videoRef} muted playsInline aria-label={t('camera.video')} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <form method="dialog">
        <button type="submit" className="secondary" autoFocus>
          {t('common.cancel')}
        </button>
      </form>
    </dialog>
  );
}
