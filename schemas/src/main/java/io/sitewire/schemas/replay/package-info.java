/**
 * Range replay: read a stretch of Sitewire's topics (a time range or offset ranges), decoded through the schema
 * registry and filtered by project, priority, type and zone, without a consumer group and without commits.
 *
 * <ul>
 *   <li>{@link io.sitewire.schemas.replay.RangeQuery}: what to read; {@code fromQueryParameters} is the HTTP form.</li>
 *   <li>{@link io.sitewire.schemas.replay.RangeReader}: plans the query into fixed offsets and streams the matching
 *       {@link io.sitewire.schemas.replay.ReplayedRecord}s to a sink, with progress and a
 *       {@link io.sitewire.schemas.replay.RangeSummary}.</li>
 *   <li>{@link io.sitewire.schemas.replay.NdjsonRangeWriter}: the NDJSON form, for files and {@code GET /v1/replay}.</li>
 * </ul>
 * Used by the analyst CLI ({@code sitewire-replay}) and the gateway; see docs/replay.md.
 */
package io.sitewire.schemas.replay;
