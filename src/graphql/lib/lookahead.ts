import {
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
 */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[] = []): Map<string, SelectedField[]> {
  let nodes: readonly FieldNode[] = info.fieldNodes;
  let type = objectTypeOf(info.returnType);
  for (const name of path) {
    const next = fieldsUnder(info, nodes, type).get(name);
    if (!next) return new Map();
    nodes = next.flatMap((field) => field.nodes);
    type = next[0]!.type;
  }
  return fieldsUnder(info, nodes, type);
}

function objectTypeOf(type: Parameters<typeof getNamedType>[0]): GraphQLObjectType | null {
  const named = getNamedType(type);
  return named && isObjectType(named) ? named : null;
}

function fieldsUnder(info: GraphQLResolveInfo, parents: readonly FieldNode[], parentType: GraphQLObjectType | null): Map<string, SelectedField[]> {
  const fields = new Map<string, SelectedField[]>();
  if (!parentType) return fields;
  const definitions = parentType.getFields();
  for (const parent of parents) collect(info, definitions, parent.selectionSet, fields);
  return fields;
}

function collect(
  info: GraphQLResolveInfo,
  definitions: GraphQLFieldMap<unknown, unknown>,
  selectionSet: SelectionSetNode | undefined,
  fields: Map<string, SelectedField[]>,
): void {
  for (const selection of selectionSet?.selections ?? []) {
    if (!included(info, selection)) continue;
    if (selection.kind === Kind.FIELD) {
      const definition = definitions[selection.name.value];
      if (!definition) continue;
      const occurrences = fields.get(definition.name) ?? [];
      occurrences.push(new Selection(selection.alias?.value ?? selection.name.value, [selection], objectTypeOf(definition.type), definition, info.variableValues));
      fields.set(definition.name, occurrences);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(info, definitions, selection.selectionSet, fields);
    } else {
      collect(info, definitions, info.fragments[selection.name.value]?.selectionSet, fields);
    }
  }
}

function included(info: GraphQLResolveInfo, node: SelectionNode): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}
