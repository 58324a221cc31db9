#!/usr/bin/python3
"""Revenue deferral setup for account_invoice_defer (activated by trytond-admin -u account_invoice_defer), idempotent:
the account the module books deferred revenue on, "Deferred Revenue", a current liability (the module only accepts
a balance-sheet account), set as the company's deferred revenue account.  usage: tryton_defer.py <trytond.conf> <database>"""
import sys

from proteus import Model
from proteus import config as pconfig

config = pconfig.set_trytond(database=sys.argv[2], config_file=sys.argv[1])
config._context = Model.get('res.user').get_preferences(True, {})
company = config._context['company']
Account, AccountType = Model.get('account.account'), Model.get('account.account.type')
found = Account.find([('name', '=', 'Deferred Revenue'), ('company', '=', company)])
if found:
    deferred, = found
else:
    liability, = AccountType.find([('name', '=', 'Current'), ('parent.name', '=', 'Liability'),
                                   ('company', '=', company)])
    root, = Account.find([('parent', '=', None), ('company', '=', company)])
    deferred = Account(name='Deferred Revenue', type=liability, parent=root)
    deferred.save()
configuration = Model.get('account.configuration')(1)
if configuration.deferred_account_revenue != deferred:
    configuration.deferred_account_revenue = deferred
    configuration.save()
print('Tryton revenue deferral ready: deferred revenue on account %s' % deferred.id)
