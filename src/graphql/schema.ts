import { isObjectType, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import { encodeGlobalId, nodeTypenames } from './lib/global-id.ts';
import './types/DateTime.ts';
import './types/OrderDirection.ts';
import './types/Paper.ts';
import './types/Author.ts';
import './types/Citations.ts';
import './types/Coauthor.ts';
import './types/ConnectedWork.ts';
import './types/GraphNode.ts';
import './types/GraphEdge.ts';
import './types/Neighborhood.ts';
import './types/Path.ts';
import './types/Recommendation.ts';
import './types/SearchHit.ts';
import './types/Stats.ts';
import './types/Venue.ts';
import './types/Institution.ts';
import './types/Topic.ts';
import './types/PaperTopic.ts';
import './types/AuthorAffiliation.ts';
import './types/YearCount.ts';
import './types/Contributor.ts';
import './types/Influence.ts';
import './types/Community.ts';
import './types/SimilarPaper.ts';
import './types/AnalyticsStatus.ts';

export const schema = resolveNodeIdsSynchronously(builder.toSchema({ sortSchema: false }));

/**
 * Pothos' relay plugin resolves the `id` of every Node asynchronously (its globalID field awaits the
 * id even when it is at hand), so each id in a response cost a promise and a turn of the microtask
 * queue, and a page of 20 papers with their authors writes about a hundred. Every Node here is
 * identified by the `uid` of its record (see the loadableNodeRefs of Paper and Author), so the id is
 * written at once, with the same encoder.
 */
function resolveNodeIdsSynchronously(built: GraphQLSchema): GraphQLSchema {
  for (const typename of nodeTypenames) {
    const type = built.getType(typename);
    const idField = isObjectType(type) ? type.getFields().id : undefined;
    if (!idField) throw new Error(`node type ${typename} has no id field`);
    idField.resolve = (record: { uid: string }) => encodeGlobalId(typename, record.uid);
  }
  return built;
}
