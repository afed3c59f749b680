import { AppException } from '../../../core/ipc/result';
import type { Caller } from './callers';

export type User = Extract<Caller, { kind: 'user' }>;

/** The signed-in reader calling (the access level checked the role; this narrows the type). */
export function requireReader(caller: Caller): User {
  if (caller.kind !== 'user' || caller.role !== 'reader')
    throw new AppException('FORBIDDEN', 'Only a signed-in reader can do this.');
  return caller;
}

/** The coordinator of `studyId` (the access level let coordinators through; this pins the study). */
export function requireCoordinatorOf(caller: Caller, studyId: number): User {
  if (caller.kind !== 'user' || caller.role !== 'coordinator' || caller.studyId !== studyId) {
    throw new AppException('FORBIDDEN', 'Only the coordinator of this study can do this; sign in as its coordinator.');
  }
  return caller;
}

/** The coordinator calling, for a method about their own study (its ids are resolved against it). */
export function requireCoordinator(caller: Caller): User {
  return requireCoordinatorOf(caller, caller.kind === 'user' ? caller.studyId : 0);
}
