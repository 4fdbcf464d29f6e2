export {
  DealbridgeError,
  errorCatalogue,
  errorCodes,
  exitCodes,
  isDealbridgeError,
  isErrorCode,
  type ErrorCode,
  type ErrorInfo,
  type Severity,
} from './catalogue.js';
