/**
 * {@code sitewire-replay}, the analysts' command line ({@link io.sitewire.analyst.ReplayCli}):
 * {@link io.sitewire.analyst.ExportCommand export} writes a range of topics to NDJSON, CSV or Avro files through the
 * range core of {@code io.sitewire.schemas.replay}; {@link io.sitewire.analyst.ReprocessCommand reprocess} runs the
 * streams app's alert rules over a historical range in a what-if topic set ({@link io.sitewire.analyst.WhatIfSet}).
 * See docs/replay.md.
 */
package io.sitewire.analyst;
