import { el } from './dom.js';

/** A delivery address form; submit(address) gets {name, street, postalCode, city, country}. */
export function addressForm(submit) {
  const fields = ['name', 'street', 'postalCode', 'city', 'country'].map((name) =>
    el('input', { name, 'aria-label': name, placeholder: name, required: true, maxlength: name === 'country' ? 2 : 200 }));
  return el('details', {}, el('summary', {}, 'Change the delivery address'),
    el('form', { class: 'row', id: 'address-form', onsubmit: (e) => {
      e.preventDefault();
      submit(Object.fromEntries(fields.map((f) => [f.name, f.value.trim()])));
    } }, fields, el('button', { type: 'submit' }, 'Change address')));
}
