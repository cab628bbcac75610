// The one error display: a card that stays on the page, with the next steps as buttons.
Component({
  options: { styleIsolation: 'apply-shared' },
  properties: {
    // { kind, title, message, actions: [{ key, label }] } from utils/page.js, or null
    notice: { type: Object, value: null }
  },
  methods: {
    act(event) {
      this.triggerEvent('action', { action: event.currentTarget.dataset.action })
    }
  }
})
