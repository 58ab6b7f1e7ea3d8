export { webhookHeaders } from './headers.js'
export { signatureOf, signWebhook } from './sign.js'
export { type VerifyFailure, type VerifyResult, type VerifyWebhookOptions, verifyFailures, verifyWebhook } from './verify.js'
