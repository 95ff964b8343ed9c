export * from './insurance.definition';
export { childCardEnd } from './participants/insurance-rules';
export { ChildCardCorrection } from './cards/child-card-correction';
