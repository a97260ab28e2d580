import {
  BREAK,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldMap,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionNode,
  type SelectionSetNode,
  visit,
} from 'graphql';

/** A field selected under the field being resolved, with its arguments as its resolver will get them. */
export interface SelectedField {
  /** The field's alias, or its name: its key in the response and in the path of its resolvers. */
  responseKey: string;
  /** Worked out when first read: most selections are only looked at for their names. */
  readonly args: Record<string, unknown>;
  nodes: FieldNode[];
  type: GraphQLObjectType | null;
}

class Selection implements SelectedField {
  #args: Record<string, unknown> | undefined;

  constructor(
    readonly responseKey: string,
    readonly nodes: FieldNode[],
    readonly type: GraphQLObjectType | null,
    private readonly definition: GraphQLField<unknown, unknown>,
    private readonly variableValues: GraphQLResolveInfo['variableValues'],
  ) {}

  get args(): Record<string, unknown> {
    return (this.#args ??= getArgumentValues(this.definition, this.nodes[0]!, this.variableValues));
  }
}

/**
 * The fields the operation selects under the field being resolved, by field name (aliases of one field
 * are occurrences of it), through fragments and inline fragments, leaving out @skip/@include'd ones.
 * `path` walks further down first: ['edges', 'node'] reaches the nodes of a connection.
 * A resolver uses this to fetch, with its own query, what the fields below it would fetch one by one.
 *
 * An answer that does not depend on the variables (no directive on the way, no variable in the
 * arguments of the fields returned) is kept for the field's nodes, which a compiled operation passes
 * to every execution of the same document: the next request reads it instead of walking again.
 */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[] = []): ReadonlyMap<string, readonly SelectedField[]> {
  const key = path.join('.');
  const known = answersFor.get(info.fieldNodes)?.get(key);
  if (known) return known;
  const walk = { variableDependent: false };
  const fields = walkSelection(info, path, walk);
  if (!walk.variableDependent && ![...fields.values()].some((occurrences) => occurrences.some(takesVariables))) {
    let byPath = answersFor.get(info.fieldNodes);
    if (!byPath) answersFor.set(info.fieldNodes, (byPath = new Map()));
    byPath.set(key, fields);
  }
  return fields;
}

/** Answers of selectedFields by the field nodes of the field being resolved, then by path. */
const answersFor = new WeakMap<readonly FieldNode[], Map<string, ReadonlyMap<string, readonly SelectedField[]>>>();

interface Walk {
  /** Set when a directive was met, whose condition may hang on a variable. */
  variableDependent: boolean;
}

function walkSelection(info: GraphQLResolveInfo, path: readonly string[], walk: Walk): Map<string, SelectedField[]> {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  let type = objectTypeOf(info.returnType);
  for (const name of path) {
    const next = fieldsUnder(info, nodes, type, walk).get(name);
    if (!next) return new Map();
    nodes = next.flatMap((field) => field.nodes);
    type = next[0]!.type;
  }
  return fieldsUnder(info, nodes, type, walk);
}

function takesVariables(field: SelectedField): boolean {
  let found = false;
  for (const argument of field.nodes.flatMap((node) => node.arguments ?? [])) {
    visit(argument.value, {
      Variable: () => {
        found = true;
        return BREAK;
      },
    });
  }
  return found;
}

function objectTypeOf(type: Parameters<typeof getNamedType>[0]): GraphQLObjectType | null {
  const named = getNamedType(type);
  return named && isObjectType(named) ? named : null;
}

function fieldsUnder(info: GraphQLResolveInfo, parents: readonly FieldNode[], parentType: GraphQLObjectType | null, walk: Walk): Map<string, SelectedField[]> {
  const fields = new Map<string, SelectedField[]>();
  if (!parentType) return fields;
  const definitions = parentType.getFields();
  for (const parent of parents) collect(info, definitions, parent.selectionSet, fields, walk);
  return fields;
}

function collect(
  info: GraphQLResolveInfo,
  definitions: GraphQLFieldMap<unknown, unknown>,
  selectionSet: SelectionSetNode | undefined,
  fields: Map<string, SelectedField[]>,
  walk: Walk,
): void {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.directives?.length) walk.variableDependent = true;
    if (!included(info, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      const definition = definitions[selection.name.value];
      if (!definition) continue;
      const occurrences = fields.get(definition.name) ?? [];
      occurrences.push(new Selection(selection.alias?.value ?? selection.name.value, [selection], objectTypeOf(definition.type), definition, info.variableValues));
      fields.set(definition.name, occurrences);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(info, definitions, selection.selectionSet, fields, walk);
    } else {
      collect(info, definitions, info.fragments[selection.name.value]?.selectionSet, fields, walk);
    }
  }
}

function included(info: GraphQLResolveInfo, node: SelectionNode): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}
