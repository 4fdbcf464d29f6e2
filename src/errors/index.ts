export {
  DealbridgeError,
  errorCatalogue,
  errorCodes,
  exitCodes,
  isDealbridgeError,
  isErrorCode,
  type ErrorCode,
  type ErrorInfo,
} from './catalogue.js';
