import { expect } from '@playwright/test';
import type { Page } from '@playwright/test';

/** Calls the browser host's API as the page does (its session cookie); an error answer fails the test. */
export async function pageApi<T>(page: Page, method: string, body: unknown): Promise<T> {
  return page.evaluate(async ([name, request]) => {
    const response = await fetch(`/api/${name}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
    if (!response.ok) {
      throw new Error(`${name}: HTTP ${response.status} ${await response.text()}`);
    }
    return response.json();
  }, [method, body] as const) as Promise<T>;
}

/** The hanging view's one viewport showing a series, by its Series Instance UID. */
export async function hangingSlotShowing(page: Page, seriesUid: string): Promise<string> {
  const slots = await page.locator('.hang-grid [data-viewport]').evaluateAll(
    (elements, uid) => elements.filter((element) => (element as HTMLElement).dataset.seriesUid === uid).map((element) => (element as HTMLElement).dataset.viewport ?? ''),
    seriesUid,
  );
  expect(slots, `one cell shows ${seriesUid}`).toHaveLength(1);
  return slots[0] as string;
}
