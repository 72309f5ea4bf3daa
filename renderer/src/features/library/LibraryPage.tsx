import type { ReactElement } from 'react';
import { useWorkstation } from '../../state/store.ts';
import { StudyList } from './StudyList.tsx';

export function LibraryPage(): ReactElement {
  const studies = useWorkstation((state) => state.studies);
  const search = useWorkstation((state) => state.studySearch);
  const setSearch = useWorkstation((state) => state.setStudySearch);
  return (
    <section className="panel">
      <div className="search-row">
        <label htmlFor="study-search">Search</label>
        <input
          id="study-search"
          type="search"
          value={search}
          placeholder="Name (any script), patient ID, accession, description"
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <StudyList studies={studies} caption="Library" />
    </section>
  );
}
