// Scanning the card's QR with the reception PC's camera (or a phone's, on the web app).
// Where the browser has BarcodeDetector it decodes the frames; elsewhere (desktop Chromium
// and Firefox) they are decoded in JavaScript (qr-decoder.ts). The button is shown wherever
// the page may ask for a camera; the keyboard-wedge scanner stays the quickest way in.
import { useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/i18n';
import { cameraAvailable, createFrameDecoder } from './qr-decoder';

export function CameraScan({ onResult }: { onResult: (text: string) => void }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  if (!cameraAvailable()) return null;
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
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let unreadable = false;
    const decoderReady = createFrameDecoder();
    decoderReady.catch(() => {
      unreadable = true;
      if (!stopped) setError(t('camera.unreadable'));
    });
    const tick = async () => {
      if (stopped || unreadable) return;
      const video = videoRef.current;
      if (video && video.readyState >= 2) {
        try {
          const decoder = await decoderReady;
          const text = await decoder.decode(video);
          if (text && !stopped) {
            stopped = true;
            onResultRef.current(text);
            return;
          }
        } catch {
          // a frame that could not be read: try the next one
        }
      }
      timer = setTimeout(() => void tick(), 150);
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
