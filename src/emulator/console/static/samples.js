// Built-in Adaptive Cards the agent can send as they are or edit first.

/** `{ id, title, card }` entries for the card dialog's sample picker. */
export const SAMPLE_CARDS = [
  {
    id: 'order-status',
    title: 'Order status',
    card: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.3',
      body: [
        { type: 'TextBlock', text: 'Your order is on its way', weight: 'Bolder', size: 'Medium', wrap: true },
        {
          type: 'FactSet',
          facts: [
            { title: 'Order', value: '#10482' },
            { title: 'Carrier', value: 'Parcelway' },
            { title: 'Expected', value: 'Tomorrow, 9:00–12:00' },
          ],
        },
      ],
      actions: [{ type: 'Action.OpenUrl', title: 'Track parcel', url: 'https://example.com/track/10482' }],
    },
  },
  {
    id: 'satisfaction',
    title: 'Satisfaction survey',
    card: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.3',
      body: [
        { type: 'TextBlock', text: 'How did we do today?', weight: 'Bolder', wrap: true },
        {
          type: 'Input.ChoiceSet',
          id: 'rating',
          style: 'expanded',
          choices: [
            { title: 'Great', value: '3' },
            { title: 'Okay', value: '2' },
            { title: 'Not good', value: '1' },
          ],
        },
      ],
      actions: [{ type: 'Action.Submit', title: 'Send feedback', data: { survey: 'csat' } }],
    },
  },
  {
    id: 'appointment',
    title: 'Appointment confirmation',
    card: {
      type: 'AdaptiveCard',
      $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
      version: '1.3',
      body: [
        {
          type: 'ColumnSet',
          columns: [
            { type: 'Column', width: 'auto', items: [{ type: 'TextBlock', text: 'THU\n14:30', weight: 'Bolder', color: 'Accent', wrap: true }] },
            {
              type: 'Column',
              width: 'stretch',
              items: [
                { type: 'TextBlock', text: 'Appointment booked', weight: 'Bolder', wrap: true },
                { type: 'TextBlock', text: 'Thursday at 14:30 with our support team', isSubtle: true, wrap: true },
              ],
            },
          ],
        },
      ],
      actions: [
        { type: 'Action.Submit', title: 'Confirm', data: { appointment: 'confirm' } },
        { type: 'Action.Submit', title: 'Reschedule', data: { appointment: 'reschedule' } },
      ],
    },
  },
];
