export {
  startPopulationSimulator,
  type PopulationSimulator,
  type PopulationSimulatorOptions,
  type RequestCounts,
} from './simulator';
export type { Behaviour } from './behaviour';
export type {
  CitizenRecord,
  DeathItem,
  DeathResult,
  IdentityCheckItem,
  IdentityCheckResult,
  NewbornItem,
  NewbornResult,
  SimulatedCitizen,
} from './register';
