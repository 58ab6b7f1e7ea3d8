export {
  type Channel,
  type ChannelInput,
  channelInputSchema,
  channelSchema,
  completeChannel,
  generateWebhookSecret,
  minWebhookSecretLength,
  type PublicChannel,
  publicChannel,
} from './channel.js'
export { hsPrefixSchema, type RateDirection, rateDirections, type SubscriptionFilter, subscriptionFilterSchema } from './filter.js'
