import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';

/** A field selected under the field being resolved, with its arguments as its resolver will get them. */
export interface SelectedField {
  /** The field's alias, or its name: its key in the response and in the path of its resolvers. */
  responseKey: string;
  args: Record<string, unknown>;
  nodes: FieldNode[];
  type: GraphQLObjectType | null;
}

/**
 * The fields the operation selects under the field being resolved, by field name (aliases of one field
 * are occurrences of it), through fragments and inline fragments, leaving out @skip/@include'd ones.
 * `path` walks further down first: ['edges', 'node'] reaches the nodes of a connection.
 * A resolver uses this to fetch, with its own query, what the fields below it would fetch one by one.
 */
export function selectedFields(info: GraphQLResolveInfo, path: readonly string[] = []): Map<string, SelectedField[]> {
  let level: { nodes: readonly FieldNode[]; type: GraphQLObjectType | null } = {
    nodes: info.fieldNodes,
    type: objectTypeOf(info.returnType),
  };
  for (const name of path) {
    const next = fieldsUnder(info, level.nodes, level.type).get(name);
    if (!next) return new Map();
    level = { nodes: next.flatMap((field) => field.nodes), type: next[0]!.type };
  }
  return fieldsUnder(info, level.nodes, level.type);
}

function objectTypeOf(type: Parameters<typeof getNamedType>[0]): GraphQLObjectType | null {
  const named = getNamedType(type);
  return named && isObjectType(named) ? named : null;
}

function fieldsUnder(info: GraphQLResolveInfo, parents: readonly FieldNode[], parentType: GraphQLObjectType | null): Map<string, SelectedField[]> {
  const fields = new Map<string, SelectedField[]>();
  if (!parentType) return fields;
  const definitions = parentType.getFields();
  const visit = (selectionSet: SelectionSetNode | undefined) => {
    for (const selection of selectionSet?.selections ?? []) {
      if (!included(info, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const definition = definitions[selection.name.value];
        if (!definition) continue;
        const occurrences = fields.get(definition.name) ?? [];
        occurrences.push({
          responseKey: selection.alias?.value ?? selection.name.value,
          args: getArgumentValues(definition, selection, info.variableValues),
          nodes: [selection],
          type: objectTypeOf(definition.type),
        });
        fields.set(definition.name, occurrences);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet);
      } else {
        visit(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const parent of parents) visit(parent.selectionSet);
  return fields;
}

function included(info: GraphQLResolveInfo, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}
