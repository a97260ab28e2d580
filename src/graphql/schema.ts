import { builder } from './builder.ts';
import './types/DateTime.ts';
import './types/OrderDirection.ts';
import './types/Paper.ts';
import './types/Author.ts';
import './types/Citations.ts';
import './types/Coauthor.ts';
import './types/GraphNode.ts';
import './types/GraphEdge.ts';
import './types/Neighborhood.ts';
import './types/Path.ts';
import './types/Recommendation.ts';
import './types/SearchHit.ts';
import './types/Stats.ts';

export const schema = builder.toSchema({ sortSchema: false });
