import { builder } from '../builder.ts';

export const OrderDirection = builder.enumType('OrderDirection', {
  values: { ASC: { description: 'Smallest first.' }, DESC: { description: 'Largest first.' } } as const,
});
