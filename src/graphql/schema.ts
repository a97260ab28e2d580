import { builder } from './builder.ts';
import './types/DateTime.ts';
import './types/OrderDirection.ts';
import './types/Paper.ts';
import './types/Author.ts';
import './types/Stats.ts';

export const schema = builder.toSchema({ sortSchema: false });
