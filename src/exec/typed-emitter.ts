// A small typed facade over EventEmitter: event names and payload types are checked at compile time.
import { EventEmitter } from 'node:events';

const always = (): boolean => true;

export class TypedEmitter<Events extends { [K in keyof Events]: unknown }> {
  private readonly ee = new EventEmitter();
  /** Per event, one entry per listener: whether that listener wants the event right now. */
  private readonly demand = new Map<string, Set<{ when: () => boolean }>>();

  constructor() {
    this.ee.setMaxListeners(0);
  }

  /**
   * Subscribes; returns the unsubscribe function. `when` says whether the listener wants the event right now
   * (by default always): it is called only then, and an emitter can skip the work of making events nobody wants
   * (see `wanted`).
   */
  on<K extends keyof Events & string>(event: K, listener: (payload: Events[K]) => void, when: () => boolean = always): () => void {
    const call = when === always ? listener : (payload: Events[K]) => void (when() && listener(payload));
    this.ee.on(event, call);
    const entry = { when };
    let entries = this.demand.get(event);
    if (!entries) this.demand.set(event, (entries = new Set()));
    entries.add(entry);
    return () => {
      this.ee.off(event, call);
      entries.delete(entry);
    };
  }

  emit<K extends keyof Events & string>(event: K, payload: Events[K]): void {
    this.ee.emit(event, payload);
  }

  /** Whether some listener of `event` wants it right now. */
  wanted<K extends keyof Events & string>(event: K): boolean {
    for (const entry of this.demand.get(event) ?? []) if (entry.when()) return true;
    return false;
  }
}
