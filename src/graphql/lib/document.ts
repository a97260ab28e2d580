import { BREAK, type Kind, visit, type DocumentNode } from 'graphql';

/** Whether the document holds a node of that kind anywhere (a variable, a string literal …). */
export function documentHas(document: DocumentNode, kind: Kind.VARIABLE | Kind.STRING): boolean {
  let found = false;
  visit(document, {
    [kind]: () => {
      found = true;
      return BREAK;
    },
  });
  return found;
}
