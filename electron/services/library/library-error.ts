/** A refusal of the library itself: a newer schema, a damaged index, another import running. */
export class LibraryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LibraryError';
  }
}
