/**
 * The softphone's sounds, synthesised here so that the page loads nothing from Twilio's CDN:
 * the Voice SDK's defaults live on sdk.twilio.com. Each is a short 8 kHz 16-bit mono WAV.
 */
const RATE = 8000;

/** Low and high DTMF frequencies (ITU-T Q.23) of each key. */
const DTMF: Record<string, readonly [number, number]> = {
  '1': [697, 1209], '2': [697, 1336], '3': [697, 1477],
  '4': [770, 1209], '5': [770, 1336], '6': [770, 1477],
  '7': [852, 1209], '8': [852, 1336], '9': [852, 1477],
  s: [941, 1209], '0': [941, 1336], h: [941, 1477],
};

/** A stretch of sound: frequencies played together for `ms`, or silence when empty. */
export interface Segment {
  freqs: readonly number[];
  ms: number;
}

/** 8 kHz 16-bit mono PCM WAV of the segments in order (the sandbox's recordings use it too). */
export function wav(segments: readonly Segment[]): Buffer {
  const samples = segments.reduce((n, s) => n + Math.round((s.ms * RATE) / 1000), 0);
  const out = Buffer.alloc(44 + samples * 2);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + samples * 2, 4);
  out.write('WAVEfmt ', 8, 'ascii');
  out.writeUInt32LE(16, 16); // PCM format chunk size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(RATE, 24);
  out.writeUInt32LE(RATE * 2, 28); // bytes per second
  out.writeUInt16LE(2, 32); // bytes per frame
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(samples * 2, 40);
  let offset = 44;
  for (const { freqs, ms } of segments) {
    const count = Math.round((ms * RATE) / 1000);
    for (let i = 0; i < count; i++) {
      let value = 0;
      for (const f of freqs) value += Math.sin((2 * Math.PI * f * i) / RATE);
      // Each tone at about -12 dBFS, so two together cannot clip.
      out.writeInt16LE(Math.round(value * 0.25 * 32767), offset);
      offset += 2;
    }
  }
  return out;
}

/** The SDK's sound names → WAV bytes. */
export function softphoneSounds(): ReadonlyMap<string, Buffer> {
  const sounds = new Map<string, Buffer>();
  for (const [key, freqs] of Object.entries(DTMF)) sounds.set(`dtmf${key}`, wav([{ freqs, ms: 150 }]));
  // North American ringing: 440 + 480 Hz, 2 s on, 4 s off (the SDK loops it).
  sounds.set('incoming', wav([{ freqs: [440, 480], ms: 2000 }, { freqs: [], ms: 4000 }]));
  // Ringback-like chirp when a call starts, and a short falling beep when it ends.
  sounds.set('outgoing', wav([{ freqs: [440, 480], ms: 400 }]));
  sounds.set('disconnect', wav([{ freqs: [480], ms: 150 }, { freqs: [], ms: 50 }, { freqs: [350], ms: 200 }]));
  return sounds;
}
