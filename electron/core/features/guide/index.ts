/** The agency's phrase guide (执法用语指引). */
export { GuideService } from './service';
