/** Saves text the page made (a CSV, a report's text) as a file through the browser's download. */
export function downloadText(name: string, text: string, type = 'text/plain;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = name;
  anchor.click();
  // The download has started from the URL by the time the click returns; free it soon after.
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}
