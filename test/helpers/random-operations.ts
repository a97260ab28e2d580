import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { mulberry32 } from '../../src/random.ts';

const nastyStrings = [
  '',
  ' ',
  'x',
  'headless',
  'ユニバーサル',
  '言語モデル',
  '"\\',
  'AND OR NOT (',
  '*',
  '\u0000',
  '🙂'.repeat(50),
  'a'.repeat(300),
  "'}) DETACH DELETE n RETURN 1 //",
  '2412.03275',
  'Nathan Godey',
];
const nastyNumbers = [-1, 0, 1, 2, 3, 5, 100, 101, 1e9, -2147483648, 2147483647];

/**
 * Random operations generated from the schema: mostly valid selections with random (often hostile)
 * arguments, some with invalid ones, and some that are not GraphQL at all.
 */
export function randomOperations(schema: GraphQLSchema, count: number, seed: number, ids: string[]): string[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

  const inputValue = (type: GraphQLInputType, depth: number): string => {
    if (isNonNullType(type)) return inputValue(type.ofType, depth);
    if (isListType(type)) return `[${Array.from({ length: Math.floor(random() * 4) }, () => inputValue(type.ofType, depth + 1)).join(', ')}]`;
    if (random() < 0.03) return 'null';
    if (isEnumType(type)) return random() < 0.9 ? pick(type.getValues()).name : 'NOT_A_VALUE';
    if (isInputObjectType(type)) {
      if (depth > 2) return '{}';
      // A required field is left out now and then only: leaving it out is refused by validation alone.
      const required = (field: GraphQLInputField) => isNonNullType(field.type) && field.defaultValue === undefined;
      const fields = Object.values(type.getFields()).filter((field) => (required(field) ? random() < 0.95 : random() < 0.5));
      return `{ ${fields.map((field) => `${field.name}: ${inputValue(field.type, depth + 1)}`).join(', ')} }`;
    }
    if (isScalarType(type)) {
      switch (type.name) {
        case 'Int':
          return String(pick(nastyNumbers));
        case 'Float':
          return String(pick([...nastyNumbers, 0.5, 50, 72.1]));
        case 'Boolean':
          return pick(['true', 'false']);
        case 'ID':
          return JSON.stringify(random() < 0.7 && ids.length > 0 ? pick(ids) : pick(nastyStrings));
        case 'DateTime':
          return JSON.stringify(pick(['2024-01-01', '2024-12-01T00:00:00Z', 'yesterday', '0000-00-00', '2024-02-30']));
        default:
          return JSON.stringify(pick(nastyStrings));
      }
    }
    return 'null';
  };

  const argumentsOf = (args: readonly GraphQLArgument[]): string => {
    const chosen = args.filter((arg) => isNonNullType(arg.type) || random() < 0.4);
    return chosen.length === 0 ? '' : `(${chosen.map((arg) => `${arg.name}: ${inputValue(arg.type, 0)}`).join(', ')})`;
  };

  const selection = (type: GraphQLNamedType, depth: number): string => {
    if (isUnionType(type) || isInterfaceType(type)) {
      const members = isUnionType(type) ? type.getTypes() : schema.getPossibleTypes(type);
      return `{ __typename ${members.map((member) => `... on ${member.name} ${selection(member, depth + 1)}`).join(' ')} }`;
    }
    if (!isObjectType(type)) return '';
    const fields = Object.values(type.getFields()) as GraphQLField<unknown, unknown>[];
    const scalars = fields.filter((field) => !isObjectType(getNamedType(field.type)) && !isInterfaceType(getNamedType(field.type)));
    const objects = fields.filter((field) => !scalars.includes(field));
    const parts: string[] = [];
    for (const field of scalars) if (random() < 0.3 || parts.length === 0) parts.push(`${field.name}${argumentsOf(field.args)}`);
    if (depth < 7) {
      for (const field of objects) {
        if (random() < 0.25) {
          const alias = random() < 0.2 ? `a${Math.floor(random() * 1000)}: ` : '';
          parts.push(`${alias}${field.name}${argumentsOf(field.args)} ${selection(getNamedType(field.type), depth + 1)}`);
        }
      }
    }
    if (parts.length === 0) parts.push('__typename');
    return `{ ${parts.join(' ')} }`;
  };

  const operations: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const roll = random();
    const valid = selection(schema.getQueryType()!, 0);
    if (roll < 0.8) operations.push(valid);
    else if (roll < 0.9) operations.push(valid.slice(0, Math.floor(random() * valid.length)));
    else
      operations.push(
        Array.from({ length: 20 }, () => pick(['{', '}', '(', ')', 'papers', 'node', '...', '$x', ':', '"', '@skip', '#', 'query', 'mutation', '!', '1'])).join(
          ' ',
        ),
      );
  }
  return operations;
}
