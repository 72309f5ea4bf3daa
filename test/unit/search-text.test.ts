import { describe, expect, it } from 'vitest';
import { searchTerms } from '../../shared/dicom/search-text.ts';

describe('search queries cut into words', () => {
  const queries: [string, string[]][] = [
    ['MAMA ROTINA', ['MAMA', 'ROTINA']],
    ['mama rotina', ['mama', 'rotina']],
    ['MAMA^ROTINA', ['MAMA', 'ROTINA']],
    ['  rotina  ', ['rotina']],
    ['DOE JANE', ['DOE', 'JANE']],
    ['DOE^JANE^^^', ['DOE', 'JANE']],
    ['DOE, JANE A', ['DOE', 'JANE', 'A']], // as the worklist shows it
    ['Yamada, Tarou (山田 太郎)', ['Yamada', 'Tarou', '山田', '太郎']],
    ['Yamada^Tarou=山田^太郎=やまだ^たろう', ['Yamada', 'Tarou', '山田', '太郎', 'やまだ', 'たろう']],
    ['홍^길동', ['홍', '길동']],
    ['DOE^JANE\\ROE', ['DOE', 'JANE', 'ROE']],
    ['A\tB\u0007C', ['A', 'B', 'C']],
    ['jérôme', ['jérôme']],
    ['rotina rotina', ['rotina']],
    ['"; DROP TABLE studies; --', ['"', 'DROP', 'TABLE', 'studies', '--']],
    ['^ = \\', []],
    ['', []],
  ];
  it.each(queries)('cuts %j into %j', (query, terms) => {
    expect(searchTerms(query)).toEqual(terms);
  });
});
