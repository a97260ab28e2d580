/** Institution reads of authors (the shared entity reads are in entities.ts). */
import { int } from 'neo4j-driver';
import { entityProjection, type InstitutionRecord } from './entities.ts';
import type { Fragment } from './selection.ts';

export interface AuthorAffiliationRecord {
  institution: InstitutionRecord;
  /** The publication years of the works the author signed with it, oldest first. */
  years: number[];
  /** Works the author signed with it. */
  papers: number;
}

/** One AFFILIATED_WITH link of an author: the institution, the work's id and year. */
export interface AffiliationLink {
  institution: InstitutionRecord;
  work: string;
  year: number | null;
}

/**
 * The affiliation links of a bound author (of works published in `year` only, when given), one per
 * work and institution; affiliationsOf groups them (an author has few), so that the fragment stays an
 * expression that folds at any depth.
 */
export const affiliationLinksFragment: Fragment<{ year: number | null }> = {
  expression: (author, input, scope) => {
    const [r, i] = [scope.variable(), scope.variable()];
    const year = scope.param(input.year === null ? null : int(input.year));
    return `COLLECT {
       MATCH (${author})-[${r}:AFFILIATED_WITH]->(${i}:Institution)
       WHERE ${year} IS NULL OR ${r}.year = ${year}
       RETURN { institution: ${entityProjection('Institution', i)}, work: ${r}.work, year: ${r}.year }
     }`;
  },
};

/**
 * An author's institutions from their affiliation links: each with the years (oldest first) and number
 * of works, the most recent first, then by name (a stub's is its id) and id.
 */
export function affiliationsOf(links: readonly AffiliationLink[]): AuthorAffiliationRecord[] {
  const byInstitution = new Map<string, { institution: InstitutionRecord; years: Set<number>; works: Set<string> }>();
  for (const link of links) {
    let entry = byInstitution.get(link.institution.uid);
    if (!entry) byInstitution.set(link.institution.uid, (entry = { institution: link.institution, years: new Set(), works: new Set() }));
    if (link.year !== null) entry.years.add(link.year);
    entry.works.add(link.work);
  }
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byInstitution.values()]
    .map(({ institution, years, works }) => ({ institution, years: [...years].sort((a, b) => a - b), papers: works.size }))
    .sort(
      (a, b) =>
        (b.years.at(-1) ?? -1) - (a.years.at(-1) ?? -1) ||
        compare(a.institution.name ?? a.institution.openalexId, b.institution.name ?? b.institution.openalexId) ||
        compare(a.institution.openalexId, b.institution.openalexId),
    );
}
