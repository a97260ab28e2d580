import { pathDataloaderGetter } from '@pothos/plugin-dataloader';
import {
  BREAK,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isObjectType,
  Kind,
  type ASTNode,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { paperProperties, type PaperProperty } from '../../db/queries/papers.ts';
import { selectChildOfParents, type ChildSelection, type Fragment, type NodeSelection, type SelectionLabel } from '../../db/queries/selection.ts';
import type { Context } from '../context.ts';

/**
 * The selection compiler: what each field reads of the graph is declared where the field is defined
 * (`extensions: reads(…)`), and a field that fetches nodes compiles the selection under it into one
 * query (src/db/queries/selection.ts assembles the fragments). A relation a query took in is handed to
 * its field on the parent record; a relation it could not take in (bad arguments, a fragment that only
 * runs alone) is loaded by the field itself, batched over all parents at its path, with its own
 * selection compiled the same way.
 */

/** A relation of a node: its fragment, and how a page, list or value is made of what the fragment returns. */
export interface RelationRead<Args = Record<string, unknown>> {
  /**
   * The fragment and its input for these arguments, or null when the field must run alone here.
   * Throws on bad arguments (the field then loads alone and reports them at its own path).
   */
  plan(args: Args, below: Below): RelationPlan | null;
}

export interface RelationPlan {
  fragment: Fragment<never>;
  input: unknown;
  /** The field's value from what the fragment returned (undefined for a parent that was not found). */
  value(raw: unknown): unknown;
  /**
   * True for a relation whose value depends on nothing but its parent (no arguments, nothing below it):
   * its loader then serves every path of the request in one round-trip.
   */
  shared?: boolean;
}

/** The selection under a relation being compiled. */
export interface Below {
  /** The nodes at `path` (['edges', 'node'] for a connection's), compiled with their own relations. */
  node(label: SelectionLabel, path: readonly string[]): CompiledNode;
  /** The nodes at `path` with their properties only (their relations load on their own). */
  properties(label: SelectionLabel, path: readonly string[]): NodeSelection;
  /** Whether the field named `field` is selected at `path`. */
  selects(path: readonly string[], field: string): boolean;
  /** Whether the parent is bound in a row of its own, so that a CALL block may hang on it. */
  readonly blocks: boolean;
  /** Whether the field runs its own query (its loader), rather than folding into its parent's. */
  readonly alone: boolean;
}

/** Where a field declares what it reads: `extensions: reads(...)`. */
const readsKey = 'papergraphReads';
type Reads = { properties: readonly PaperProperty[] } | { relation: RelationRead<never> };

/** A field that reads these properties of its node (the uid is always read). Exposed fields declare themselves. */
export const readsProperties = (...properties: PaperProperty[]) => ({ [readsKey]: { properties } satisfies Reads });

/** A field that reads a relation of its node. */
export const readsRelation = <Args>(relation: RelationRead<Args>) => ({ [readsKey]: { relation: relation as RelationRead<never> } satisfies Reads });

/** A node's selection compiled: what to ask Neo4j, and what to hand each record's fields afterwards. */
export interface CompiledNode {
  selection: NodeSelection;
  /** Hands each record (as the query returned it) the values of its folded relations. */
  attach(records: Iterable<object | null | undefined>): void;
  /** Whether a relation that is not shared (RelationPlan.shared) folds into the query. */
  foldsUnshared: boolean;
}

/** Values of relations folded into a record's query, by response key (an alias, or the field's name). */
const folded = Symbol('folded relations');

/** The value folded for the field being resolved, or undefined when it was not folded. */
export function foldedValue(parent: object, info: GraphQLResolveInfo): unknown {
  return (parent as { [folded]?: Map<string | number, unknown> })[folded]?.get(info.path.key);
}

interface Child {
  responseKey: string;
  shared: boolean;
  selection: ChildSelection;
  value(raw: unknown): unknown;
}

/** Compiles the nodes reached at `path` under the field being resolved. `blocks`: see Below. */
export function compileNodeAt(context: Context, info: GraphQLResolveInfo, label: SelectionLabel, path: readonly string[] = [], blocks = false): CompiledNode {
  const compile = () => {
    const at = fieldsAt(info, info.fieldNodes, objectTypeOf(info.returnType), path);
    return compileNode(info, label, at.nodes, at.type, blocks, context.foldRelations);
  };
  if (!variableFree(info)) return compile();
  // The same field nodes come back with every execution of a document graphql-jit compiled.
  let byKey = compiledFor.get(info.fieldNodes);
  if (!byKey) compiledFor.set(info.fieldNodes, (byKey = new Map()));
  const key = `${label} ${path.join('.')} ${blocks} ${context.foldRelations}`;
  let node = byKey.get(key);
  if (!node) byKey.set(key, (node = compile()));
  return node;
}

/** Compiled selections that hang on no variable, by the field nodes of the field compiled, then by what was asked. */
const compiledFor = new WeakMap<readonly FieldNode[], Map<string, CompiledNode>>();
const variableFreeFor = new WeakMap<readonly FieldNode[], boolean>();

/** Whether nothing under the field being resolved hangs on a variable: no variable in an argument, no directive. */
function variableFree(info: GraphQLResolveInfo): boolean {
  let free = variableFreeFor.get(info.fieldNodes);
  if (free !== undefined) return free;
  free = true;
  const spread = new Set<string>();
  const walk = (node: ASTNode | undefined) => {
    if (!node || !free) return;
    visit(node, {
      Variable: () => {
        free = false;
        return BREAK;
      },
      Directive: () => {
        free = false;
        return BREAK;
      },
      FragmentSpread: (fragment) => {
        if (spread.has(fragment.name.value)) return;
        spread.add(fragment.name.value);
        walk(info.fragments[fragment.name.value]);
      },
    });
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  variableFreeFor.set(info.fieldNodes, free);
  return free;
}

/** The selection under the field being resolved, for a field that runs its own query. */
export const selectionBelow = (info: GraphQLResolveInfo): Below => belowOf(info, fieldOf(info), true, true, false);

function compileNode(
  info: GraphQLResolveInfo,
  label: SelectionLabel,
  nodes: readonly FieldNode[],
  type: GraphQLObjectType | null,
  blocks: boolean,
  fold: boolean,
): CompiledNode {
  const fields = fieldsUnder(info, nodes, type);
  const children: Child[] = [];
  for (const occurrences of fields.values()) {
    for (const field of occurrences) {
      const reads = readsOf(field.definition);
      if (!fold || !reads || !('relation' in reads)) continue;
      const below = belowOf(info, field, blocks, false, fold);
      let plan: RelationPlan | null;
      try {
        plan = reads.relation.plan(field.args as never, below);
      } catch {
        // Bad arguments: the field loads alone and reports them at its own path.
        continue;
      }
      if (!plan) continue;
      children.push({
        responseKey: field.responseKey,
        shared: plan.shared === true,
        selection: { key: `c${children.length}`, fragment: plan.fragment, input: plan.input },
        value: plan.value,
      });
    }
  }
  const selection: NodeSelection = { label, properties: propertiesOf(fields), children: children.map((child) => child.selection) };
  return {
    selection,
    foldsUnshared: children.some((child) => !child.shared),
    attach: (records) => {
      if (children.length === 0) return;
      for (const record of records) {
        if (!record) continue;
        const values = new Map<string, unknown>();
        for (const child of children) values.set(child.responseKey, child.value((record as Record<string, unknown>)[child.selection.key]));
        (record as { [folded]?: Map<string, unknown> })[folded] = values;
      }
    },
  };
}

function belowOf(info: GraphQLResolveInfo, field: SelectedField, blocks: boolean, alone: boolean, fold: boolean): Below {
  const at = (path: readonly string[]) => fieldsAt(info, field.nodes, field.type, path);
  return {
    node: (label, path) => {
      const found = at(path);
      return compileNode(info, label, found.nodes, found.type, false, fold);
    },
    properties: (label, path) => {
      const found = at(path);
      return { label, properties: propertiesOf(fieldsUnder(info, found.nodes, found.type)), children: [] };
    },
    selects: (path, name) => {
      const found = at(path);
      return fieldsUnder(info, found.nodes, found.type).has(name);
    },
    blocks,
    alone,
  };
}

function readsOf(definition: GraphQLField<unknown, unknown>): Reads | null {
  return (definition.extensions?.[readsKey] as Reads | undefined) ?? null;
}

/**
 * The properties the selected fields read: each field's declared ones, an exposed field's own, none for
 * a relation or `id`; every property when a field declares nothing (served, only less cheaply).
 */
function propertiesOf(fields: ReadonlyMap<string, readonly SelectedField[]>): readonly PaperProperty[] {
  const properties = new Set<PaperProperty>();
  for (const [name, occurrences] of fields) {
    if (name === 'id') continue;
    const definition = occurrences[0]!.definition;
    const reads = readsOf(definition);
    if (reads) {
      if ('properties' in reads) for (const property of reads.properties) properties.add(property);
      continue;
    }
    const exposed = definition.extensions?.pothosExposedField;
    if (typeof exposed === 'string' && paperProperties.includes(exposed as PaperProperty)) properties.add(exposed as PaperProperty);
    else return paperProperties;
  }
  return [...properties];
}

/**
 * A relation's loader, batched over all parents at the field's path: the fragment the field declares,
 * run for those parents in one round-trip, with the selection under it compiled.
 */
export function relationLoader(label: SelectionLabel, relation: RelationRead, empty: () => unknown, shared = false) {
  const getLoader = pathDataloaderGetter<string, unknown, string, Record<string, unknown>>(
    undefined,
    async (uids, context: object, args, info) => {
      const plan = relation.plan(args, belowOf(info, fieldOf(info), true, true, (context as Context).foldRelations));
      if (!plan) throw new Error('a relation without a plan');
      const raw = await selectChildOfParents((context as Context).cypher, label, uids, { key: 'c0', fragment: plan.fragment, input: plan.input });
      return uids.map((uid) => (raw.has(uid) ? plan.value(raw.get(uid)) : empty()));
    },
    undefined,
    false,
    !shared,
  );
  /** The resolver: the value folded into the parent's query, or the loader's. */
  return (parent: { uid: string }, args: Record<string, unknown>, context: object, info: GraphQLResolveInfo) => {
    const value = foldedValue(parent, info);
    return value !== undefined ? value : getLoader(args, context, info).load(parent.uid);
  };
}

/** The field being resolved as a selected field (its own nodes and type). */
function fieldOf(info: GraphQLResolveInfo): SelectedField {
  const definition = info.parentType.getFields()[info.fieldName]!;
  return new SelectedField(String(info.path.key), info.fieldNodes, objectTypeOf(info.returnType), definition, info.variableValues);
}

// ---------------------------------------------------------------------------------------------
// Walking a selection: fragments, inline fragments and aliases, with @skip/@include applied.
// ---------------------------------------------------------------------------------------------

class SelectedField {
  #args: Record<string, unknown> | undefined;

  constructor(
    /** The field's alias, or its name: its key in the response. */
    readonly responseKey: string,
    readonly nodes: readonly FieldNode[],
    readonly type: GraphQLObjectType | null,
    readonly definition: GraphQLField<unknown, unknown>,
    private readonly variableValues: GraphQLResolveInfo['variableValues'],
  ) {}

  /** The arguments as the field's resolver gets them; worked out when first read. */
  get args(): Record<string, unknown> {
    return (this.#args ??= getArgumentValues(this.definition, this.nodes[0]!, this.variableValues));
  }
}

function objectTypeOf(type: GraphQLOutputType | null): GraphQLObjectType | null {
  const named = type && getNamedType(type);
  return named && isObjectType(named) ? named : null;
}

function fieldsAt(info: GraphQLResolveInfo, nodes: readonly FieldNode[], type: GraphQLObjectType | null, path: readonly string[]) {
  for (const name of path) {
    const next = fieldsUnder(info, nodes, type).get(name);
    if (!next) return { nodes: [], type: null };
    nodes = next.flatMap((field) => field.nodes);
    type = next[0]!.type;
  }
  return { nodes, type };
}

/**
 * The fields selected under `parents`, by field name: one entry per response key (occurrences of one
 * response key merge, as GraphQL merges them).
 */
function fieldsUnder(info: GraphQLResolveInfo, parents: readonly FieldNode[], parentType: GraphQLObjectType | null): Map<string, SelectedField[]> {
  const byKey = new Map<string, { name: string; nodes: FieldNode[]; definition: GraphQLField<unknown, unknown> }>();
  if (parentType) {
    const definitions = parentType.getFields();
    const collect = (selectionSet: SelectionSetNode | undefined) => {
      for (const selection of selectionSet?.selections ?? []) {
        if (!included(info, selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const definition = definitions[selection.name.value];
          if (!definition) continue;
          const responseKey = selection.alias?.value ?? selection.name.value;
          const known = byKey.get(responseKey);
          if (known) known.nodes.push(selection);
          else byKey.set(responseKey, { name: definition.name, nodes: [selection], definition });
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          // Type conditions need no check: under an object type, validation admits only those it meets.
          collect(selection.selectionSet);
        } else {
          collect(info.fragments[selection.name.value]?.selectionSet);
        }
      }
    };
    for (const parent of parents) collect(parent.selectionSet);
  }
  const fields = new Map<string, SelectedField[]>();
  for (const [responseKey, { name, nodes, definition }] of byKey) {
    const occurrences = fields.get(name) ?? [];
    occurrences.push(new SelectedField(responseKey, nodes, objectTypeOf(definition.type), definition, info.variableValues));
    fields.set(name, occurrences);
  }
  return fields;
}

function included(info: GraphQLResolveInfo, node: { directives?: readonly unknown[] } & Parameters<typeof getDirectiveValues>[1]): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
}
