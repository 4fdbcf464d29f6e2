export {
  DealbridgeError,
  errorCatalogue,
  errorCodes,
  exitCodes,
  httpErrorCatalogue,
  httpErrorCodes,
  isDealbridgeError,
  isErrorCode,
  isHttpErrorCode,
  type ErrorCode,
  type ErrorInfo,
  type HttpErrorCode,
  type HttpErrorInfo,
  type Severity,
} from './catalogue.js';
export { germanErrorTexts, germanHttpErrorTexts, type ErrorTexts } from './catalogue-de.js';
