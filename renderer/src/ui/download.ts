/** Saves bytes the page holds as a file through the browser's download, under `name`. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  // The download has started from the URL by the time the click returns; free it soon after.
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves text the page made (a CSV, a report's text) as a file through the browser's download. */
export function downloadText(name: string, text: string, type = 'text/plain;charset=utf-8'): void {
  downloadBlob(name, new Blob([text], { type }));
}

/**
 * Saves a library document (an Encapsulated PDF's PDF) under a name the page chose. The host sends
 * documents as attachments named "document.pdf", and a server's name wins over a link's, so the
 * bytes are fetched and saved from the page instead.
 */
export async function downloadDocument(sopInstanceUid: string, name: string): Promise<void> {
  const response = await fetch(`${location.origin}/document/${sopInstanceUid}`, { credentials: 'same-origin' });
  if (!response.ok) {
    throw new Error(`The PDF cannot be read (${response.status} ${response.statusText})`);
  }
  downloadBlob(name, new Blob([await response.arrayBuffer()], { type: 'application/pdf' }));
}
