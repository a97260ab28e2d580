import { builder } from './builder.ts';
import './types/Stats.ts';

export const schema = builder.toSchema({ sortSchema: false });
