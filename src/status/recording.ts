/**
 * Recording callbacks also report `in-progress`, `absent` and `failed`; only a completed
 * recording (or a `<Record>` action, which has no status) has a URL worth keeping.
 */
export function recordingIsUsable(status: string | null): boolean {
  return status === null || status === 'completed';
}
