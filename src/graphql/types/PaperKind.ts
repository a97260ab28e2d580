import { paperKinds, type PaperKind as PaperKindName } from '../../db/queries/papers.ts';
import { builder } from '../builder.ts';

const descriptions: Record<PaperKindName, string> = {
  PAGE: 'Has a summary page of its own (and maybe an OpenAlex work too): every field it can have.',
  WORK: 'An OpenAlex work was imported for it, without a summary page.',
  RELATED_ENTRY: "Known only from summary pages' related lists: title, date and Japanese summary.",
  REFERENCE_STUB: 'Known only as a cited (or related) work: an OpenAlex id that an imported work names, whose own work is not loaded. Its title is that id.',
};

export const PaperKind = builder.enumType('PaperKind', {
  description: 'What a paper is known from, and so which of its fields can be filled in.',
  values: Object.fromEntries(paperKinds.map((kind) => [kind, { description: descriptions[kind] }])) as Record<PaperKindName, { description: string }>,
});
