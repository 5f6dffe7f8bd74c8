// Which room events (by seq) this page has handled, so live events and replays are each applied once.
//
// Seqs in a room start at 1 and have no gaps. We keep the highest seq below which we have seen
// everything (the watermark) and the seqs seen above it. Rejoining with `since` = watermark replays
// whatever we may have missed, even when broadcasts from two hub processes arrived out of order.

export class SeqLog {
  constructor() {
    this.watermark = 0;
    this.above = new Set();
  }

  // The whole history up to `seq` is loaded by other means (a fresh join, a snapshot, a resync).
  // Seqs above it already handled (they can beat the join's ack) stay known.
  reset(seq) {
    this.watermark = seq;
    this.settle();
  }

  // Everything up to `seq` is settled (seen, or never meant for this page).
  advanceTo(seq) {
    if (seq <= this.watermark) return;
    this.watermark = seq;
    this.settle();
  }

  settle() {
    for (const above of this.above) if (above <= this.watermark) this.above.delete(above);
    while (this.above.has(this.watermark + 1)) {
      this.above.delete(this.watermark + 1);
      this.watermark += 1;
    }
  }

  has(seq) {
    return seq <= this.watermark || this.above.has(seq);
  }

  // True the first time a seq is seen; false for a repeat (live and replayed, or twice replayed).
  accept(seq) {
    if (typeof seq !== "number" || this.has(seq)) return false;
    this.above.add(seq);
    this.settle();
    return true;
  }
}
