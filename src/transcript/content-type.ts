/**
 * Content types and sizes for attachments: guessing a MIME type from a file name or an 8x8
 * attachment `type`, and formatting sizes for people. Pure.
 */

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp', svg: 'image/svg+xml', heic: 'image/heic',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', avi: 'video/x-msvideo',
  mp3: 'audio/mpeg', wav: 'audio/wav', ogg: 'audio/ogg', m4a: 'audio/mp4', aac: 'audio/aac',
  pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv', json: 'application/json', xml: 'application/xml', html: 'text/html',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip', gz: 'application/gzip',
};

/** 8x8 `attachments[].type` values and the generic type each stands for. */
const BY_GATEWAY_TYPE: Record<string, string> = { image: 'image/*', video: 'video/*', audio: 'audio/*', file: 'application/octet-stream' };

/** The lower-case extension of a file name, without the dot, or undefined. */
export function extensionOf(name: string | undefined): string | undefined {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(name ?? '');
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * A MIME type from a file name, falling back to the 8x8 attachment type (`image`, `video`,
 * `audio`, `file`) and finally `application/octet-stream`.
 */
export function guessContentType(name: string | undefined, gatewayType?: string): string {
  const ext = extensionOf(name);
  if (ext && BY_EXTENSION[ext]) return BY_EXTENSION[ext];
  return (gatewayType && BY_GATEWAY_TYPE[gatewayType.toLowerCase()]) || 'application/octet-stream';
}

/** True for a string shaped like `type/subtype`. */
export function isMimeType(value: string | undefined): value is string {
  return typeof value === 'string' && /^[\w.+-]+\/[\w.+*-]+$/.test(value.split(';')[0]!.trim());
}

/** `1536` -> `1.5 KB`; binary multiples, one decimal above 1 KB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}
