/**
 * What a venue says about one frame read back from a recording, for offline tools (`venuekit normalize`):
 * whether the frame is that venue's wire at all, what kind of frame it is, and which segment its own shape
 * proves. Each venue folder implements the reader from its documentation and recorded frames.
 */

/** One recorded frame as its venue reads it. */
export interface RecordedFrame {
  /**
   * What the frame is, to count the frames that give no events: `depthUpdate`, `markPriceUpdate`,
   * `subscribe ack`, `user data ORDER_TRADE_UPDATE`, `pong`.
   */
  readonly kind: string;
  /**
   * The segment the frame's own shape proves (Binance `usdm` for a depth event carrying `pu`, Bybit
   * `linear` for a trade carrying a tick direction), or undefined when it fits several.
   */
  readonly segment?: string;
}

/** Reads one decoded frame; undefined when it is not this venue's wire. Pure: no state, no I/O. */
export type RecordedFrameReader = (frame: unknown) => RecordedFrame | undefined;
