import type { ReaderEventName, ReaderEvents } from '../../core/ipc/contract';

export type EventListener<K extends ReaderEventName> = (payload: ReaderEvents[K]) => void;

/** Push events of the services; each transport subscribes once and forwards to its clients. */
export class EventHub {
  private readonly listeners = new Map<ReaderEventName, Set<(payload: never) => void>>();

  subscribe<K extends ReaderEventName>(name: K, listener: EventListener<K>): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends ReaderEventName>(name: K, payload: ReaderEvents[K]): void {
    for (const listener of this.listeners.get(name) ?? []) {
      // A failing listener (e.g. a closed HTTP stream) must not stop the others.
      try {
        (listener as EventListener<K>)(payload);
      } catch {
        /* transports clean up their own broken listeners */
      }
    }
  }
}
