/** How a case starts: applications, complaints, emergency starts (R1.2). */
export { InitiationService } from './service';
export { emergencyReport } from './store';
